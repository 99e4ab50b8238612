"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the complaints app.

Services are the complaint categories; service requests are complaints that are not
confidential (a client also sees the confidential ones it filed itself). Every
endpoint answers in ``.json`` and ``.xml`` with the specification's field names,
status values (``open``/``closed``) and error shape (``[{code, description}]``).
"""
