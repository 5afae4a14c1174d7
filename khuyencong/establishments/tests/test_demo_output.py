"""`make demo`'s output speaks Vietnamese numbers: "1.250 cơ sở", "3,2 giây"."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_generated_demo_data_is_counted_in_vietnamese_numbers():
    out = io.StringIO()
    call_command("generate_demo_data", scale="province", count=1250, stdout=out)
    summary = out.getvalue().strip().splitlines()[-1].split("\r")[-1]
    assert re.fullmatch(r"1\.250 cơ sở, [\d.]+ số liệu năm trong \d+,\d giây", summary), summary
