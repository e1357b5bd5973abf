"""`python -m report.build OUT`: render templates/report.html to a PDF."""

import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from weasyprint import HTML

env = Environment(loader=FileSystemLoader("templates"), autoescape=True)
html = env.get_template("report.html").render(title="Monthly report")
Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
HTML(string=html).write_pdf(sys.argv[1])
