"""One date format per language for every screen: weekday, day, month name and year.

Django's own locale formats (``FORMAT_MODULE_PATH`` falls back to them for everything not set
here) write dates three ways ("Jan. 5, 2026", "5 januari 2026", "2026-01-05"); these modules set
``DATE_FORMAT`` and ``DATETIME_FORMAT`` once per language, so a template writes ``{{ day|date }}``
or ``{{ moment|date:"DATETIME_FORMAT" }}`` and Python writes ``formats.date_format(day)``.
English keeps its three-letter month ("Mon 5 Jan 2026"); the other languages spell the month out
because Django's three-letter months are ambiguous there (French "Jui" is June and July).
Input fields stay ISO (``<input type="date">``); the patient calendar PDF keeps its own formats.
"""
