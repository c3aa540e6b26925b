"""The one date style: shown dd/mm/yyyy, read as dd/mm/yyyy (or with . or -) or ISO 8601,
never month first. The same rule as `crm.dates.parse_date`, for Django's forms (the admin)."""

# Shown in admin lists, detail pages and anywhere a template localises a date.
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

# Read: the first is also how the admin's widgets write a value back into the field.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 02/03/2026, 2/3/2026
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y-%m-%d",  # ISO 8601
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    f"{day} {time}"
    for day in ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
    for time in ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")
] + [
    *DATE_INPUT_FORMATS[:3],
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
