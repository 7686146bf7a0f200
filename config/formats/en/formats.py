# In prose "7 December 2026" (not Django's American "Dec. 7, 2026"), numeric dates as on the
# Polish pages, "07.12.2026", which the forms' hints show in both languages.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"]
FIRST_DAY_OF_WEEK = 1  # Monday
