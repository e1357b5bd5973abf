from geo_utils import haversine_km


def test_berlin_paris():
    assert round(haversine_km((52.52, 13.405), (48.8566, 2.3522))) == 878
