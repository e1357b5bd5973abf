from dask.base import quote
