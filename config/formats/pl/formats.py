# One way of writing a date per context (issue 11): in prose "7 grudnia 2026" (Django's own
# DATE_FORMAT), in tables, forms and messages "07.12.2026", the form the hints ask for; Django's
# Polish short form "07-12-2026" is not used. The rest comes from Django's Polish formats.
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"]
