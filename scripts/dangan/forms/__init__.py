"""Forms and interchange: the 干部任免审批表 (HTML/PDF, .lrmx/.lrm), the 干部简历表, Excel rosters.

The site calls ``render_form_html(data, as_of, family=False, codes=…)`` to emit form/<编号>.html.
"""

from __future__ import annotations

from .model import Appointment, FormModel, form_model
from .render_html import render_form_html, render_resume_html

__all__ = ["Appointment", "FormModel", "form_model", "render_form_html", "render_resume_html"]
