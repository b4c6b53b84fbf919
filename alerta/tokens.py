"""The tokens of the links mailed to choose a password.

A first-login link and a forgotten-password link are signed with different
salts, so neither URL accepts the other's token, and each has its own
lifetime (ENLACE_PRIMER_INGRESO_HORAS, ENLACE_CLAVE_OLVIDADA_HORAS). Both stay
single-use: a token dies with the password (and last login) it was made from.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class _TokenConVigencia(PasswordResetTokenGenerator):
    ajuste_horas: str

    def vigencia_segundos(self) -> int:
        return getattr(settings, self.ajuste_horas) * 3600

    def check_token(self, user, token) -> bool:
        # Django's check with this link's lifetime instead of the one
        # PASSWORD_RESET_TIMEOUT sets for all.
        if not (user and token):
            return False
        try:
            marca, _firma = token.split("-")
            emitido = base36_to_int(marca)
        except ValueError:
            return False
        if not any(
            constant_time_compare(
                self._make_token_with_timestamp(user, emitido, secreto), token
            )
            for secreto in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - emitido <= self.vigencia_segundos()


class TokenPrimerIngreso(_TokenConVigencia):
    key_salt = "alerta.tokens.TokenPrimerIngreso"
    ajuste_horas = "ENLACE_PRIMER_INGRESO_HORAS"


class TokenClaveOlvidada(_TokenConVigencia):
    key_salt = "alerta.tokens.TokenClaveOlvidada"
    ajuste_horas = "ENLACE_CLAVE_OLVIDADA_HORAS"


token_primer_ingreso = TokenPrimerIngreso()
token_clave_olvidada = TokenClaveOlvidada()
