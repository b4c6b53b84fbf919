# The world of tests/test_permisos.py (the personas and those of last year),
# to cross the token pages with every persona.
from tests.test_permisos import mundo_con_pasado  # noqa: F401
