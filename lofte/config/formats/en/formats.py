# A day is typed as 2016-03-01 and nothing else: the form says so, and a day read the American way
# from "1/4/2016" would be the 4th of January on a Swedish page.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
# Days written as in British English (CLDR en-GB: "d MMMM y"), the English of Löfte's texts: 1 March 2016.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
MONTH_DAY_FORMAT = "j F"
