# A day is typed as 2016-03-01 and nothing else: the form says so, and a day read the American way
# from "1/4/2016" would be the 4th of January on a Swedish page.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
