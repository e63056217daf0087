"""The lists are tested on the loaded node of the screening tests."""

from tests.screening.conftest import inspector, node  # noqa: F401  (fixtures)
