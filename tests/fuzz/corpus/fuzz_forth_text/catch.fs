: t 1 throw ; ' t catch . -13 throw
