# Numbers and days as CLDR writes them in this language (lofte.config.formats.cldr): DECIMAL_SEPARATOR,
# THOUSAND_SEPARATOR, NUMBER_GROUPING, DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT
# and YEAR_MONTH_FORMAT.
from lofte.config.formats.cldr import formats

globals().update(formats("fa"))
# A day is typed as 2016-03-01 and nothing else, as on every page (lofte.core.widgets.DayInput).
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
