"""The fictional manufacturer and device, its people, the cited standards and the fixed dates."""

from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2026, 6, 30)
HISTORY_START = dt.date(2025, 7, 7)
HISTORY_END = dt.date(2026, 6, 12)
EPOCH_START = int(dt.datetime(2025, 7, 7, 9, 0, tzinfo=dt.UTC).timestamp())
DEVICE = "PulseGuard"
COMPANY = "Meridian Cardio Systems GmbH"
SOFTWARE_VERSION = "3.4.0"

ISO14971 = "EN ISO 14971:2019+A11:2021"
IEC62304 = "EN 62304:2006/A1:2015"
IEC81001 = "EN IEC 81001-5-1:2022"
IEC62366 = "EN 62366-1:2015+A1:2020"
ISO13485 = "EN ISO 13485:2016"

PEOPLE: list[tuple[str, str]] = [
    ("Tobias Brandt", "Head of Quality and Regulatory Affairs"),
    ("Dr. Sofia Marini", "Medical Director"),
    ("Jonas Albrecht", "CTO"),
    ("Mira Koskinen", "Head of Product Security"),
    ("Aylin Demir", "Lead Software Engineer"),
    ("Paul Okafor", "Test Manager"),
    ("Dr. Lena Hartmann", "CEO and Person Responsible for Regulatory Compliance"),
    ("Kenji Watanabe", "Systems Engineer"),
    ("Ines Carvalho", "Clinical Safety Officer"),
    ("Malik Haddad", "DevOps Lead"),
    ("Greta Lindqvist", "Usability Engineer"),
    ("Ravi Menon", "Quality Engineer"),
]
