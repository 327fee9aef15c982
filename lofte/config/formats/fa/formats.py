# Numbers and days as CLDR writes them in this language (lofte.config.formats.cldr).
from lofte.config.formats.cldr import formats

_cldr = formats("fa")
DECIMAL_SEPARATOR = _cldr["DECIMAL_SEPARATOR"]
THOUSAND_SEPARATOR = _cldr["THOUSAND_SEPARATOR"]
NUMBER_GROUPING = _cldr["NUMBER_GROUPING"]
DATE_FORMAT = _cldr["DATE_FORMAT"]
SHORT_DATE_FORMAT = _cldr["SHORT_DATE_FORMAT"]
DATETIME_FORMAT = _cldr["DATETIME_FORMAT"]
MONTH_DAY_FORMAT = _cldr["MONTH_DAY_FORMAT"]
YEAR_MONTH_FORMAT = _cldr["YEAR_MONTH_FORMAT"]
# A day is typed as 2016-03-01 and nothing else, as on every page (lofte.core.widgets.DayInput).
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
