"""Traditional Chinese formats as Taiwan's government documents write numbers:
thousands grouped by three with commas (26,726,856 美元點), not Django's default none."""

from django.conf.locale.zh_Hant.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
