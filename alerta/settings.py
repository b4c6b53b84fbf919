"""Settings, read from environment variables.

Defaults give the embedded setup (SQLite, tasks run in-process, DEBUG on). A
production deployment sets DEBUG=false and must then provide SECRET_KEY and
ALLOWED_HOSTS; a malformed value fails at start-up rather than being ignored.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="solo-para-desarrollo-local")
else:
    # No production default: a missing key must stop the server.
    SECRET_KEY = env.str("SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own form templates, found by the project's template engine
    # (FORM_RENDERER below).
    "django.forms",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's files, served from static/ (no CDN; see api:docs).
    "drf_spectacular_sidecar",
    "alerta",
    "riesgo",
    "orientaciones",
    "siagie_import",
    # Every change to a follow-up action keeps the state before it
    # (seguimiento.models.AccionSeguimiento.historial).
    "simple_history",
    "seguimiento",
    "monitoreo",
    "avisos",
    "capacitaciones",
    "resultados",
    "pilotos",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "alerta.cabeceras.SinCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alerta.cabeceras.Pagina404EnDesarrollo",
    # Last, as django-axes asks: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In production static files are served by the app itself (no separate server).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "alerta.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alerta.context_processors.navegacion",
                "alerta.context_processors.quinto_de_secundaria",
                "alerta.context_processors.sin_conexion",
            ],
        },
    },
]

# Forms render with the project's template engine, so that a widget can use a
# template of templates/ (alerta.filtros.Selector).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "alerta.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# Seconds a process keeps its database connection between requests. 0 (a new
# connection per request) suits the embedded default, the tests and the Celery
# worker; the production web sets 60 (docker-compose), which decision 0017
# measured as the largest single gain in capacity. Health checks make a reused
# connection that the server dropped reconnect instead of failing a request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Measured on the risk model's per-chunk feature queries: JIT compilation
    # costs more than it saves (about half a second a chunk), and with the
    # default random_page_cost (4, meant for spinning disks) the planner scans
    # the whole evaluations table for every chunk instead of using its index
    # (4.5 s against 2.7 s a chunk at 1 million students, growing with the
    # table). 1.1 is the usual value for SSD storage.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c random_page_cost=1.1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "alerta.Usuario"
_VALIDACION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDACION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDACION}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDACION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDACION}.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked.
    "alerta.auth.LimiteDeIntentos",
    # Username, DNI or e-mail address, with ModelBackend's rules.
    "alerta.auth.IngresoPorDniOCorreo",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "login"
# School computers are shared: a session ends after this many minutes without
# a request (requests push the end back, see alerta/sesiones.py) and when the
# browser closes.
SESION_INACTIVIDAD_MINUTOS = env.int("SESION_INACTIVIDAD_MINUTOS", default=30)
if SESION_INACTIVIDAD_MINUTOS < 1:
    raise ImproperlyConfigured("SESION_INACTIVIDAD_MINUTOS must be at least 1.")
SESSION_ENGINE = "alerta.sesiones"
SESSION_COOKIE_AGE = SESION_INACTIVIDAD_MINUTOS * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Failed logins (django-axes): after INGRESO_INTENTOS_MAXIMOS failures for one
# account from one address, that pair waits INGRESO_BLOQUEO_MINUTOS. Failures
# are counted per account, not per typed text (alerta.auth.clave_de_intentos),
# and neither axes' tables nor its log lines hold a DNI or an e-mail address.
AXES_FAILURE_LIMIT = env.int("INGRESO_INTENTOS_MAXIMOS", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("INGRESO_BLOQUEO_MINUTOS", default=15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME <= timedelta(0):
    raise ImproperlyConfigured(
        "INGRESO_INTENTOS_MAXIMOS and INGRESO_BLOQUEO_MINUTOS must be at least 1."
    )
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "alerta.auth.clave_de_intentos"
AXES_CLIENT_STR_CALLABLE = "alerta.auth.cliente_para_log"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "alerta.views_cuentas.ingreso_bloqueado"
# The address in that pair. Behind INGRESO_PROXIES_DE_CONFIANZA reverse proxies,
# each of which appends the address it received from to X-Forwarded-For, the
# client is the last-but-(N-1) entry of that header; anything a client wrote
# further left is ignored. django-ipware (through axes' settings) reads it: its
# proxy count is of the proxies listed in the header, one less than those in
# front (the nearest is the connection). With 0, the default, the header is not
# read at all and the address is the connection's.
INGRESO_PROXIES_DE_CONFIANZA = env.int("INGRESO_PROXIES_DE_CONFIANZA", default=0)
if INGRESO_PROXIES_DE_CONFIANZA < 0:
    raise ImproperlyConfigured("INGRESO_PROXIES_DE_CONFIANZA must be 0 or more.")
if INGRESO_PROXIES_DE_CONFIANZA:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    AXES_IPWARE_PROXY_COUNT = INGRESO_PROXIES_DE_CONFIANZA - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
AXES_IPWARE_PROXY_ORDER = "left-most"
# Read a longer header from the right instead of discarding it: the extra
# entries on the left are the ones a client can forge.
IPWARE_STRICT = False
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# --- Security headers -------------------------------------------------------
# HTTPS: on by default when DEBUG is off, off in the embedded setup and the
# tests; each can be set from the environment (README, "Despliegue").
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The container's health check asks for /salud/ over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("SECURE_HSTS_SECONDS must not be negative.")
# Behind the TLS proxy the README asks for, Django sees plain HTTP: the proxy
# says "https" in this header (it must set it, overwriting what the client
# sent). Empty turns it off; "HTTP_X_FORWARDED_PROTO,https" is the default.
_CABECERA_HTTPS = env.list(
    "SECURE_PROXY_SSL_HEADER",
    default=[] if DEBUG else ["HTTP_X_FORWARDED_PROTO", "https"],
)
if _CABECERA_HTTPS and len(_CABECERA_HTTPS) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER must be a header and a value, e.g. "
        "HTTP_X_FORWARDED_PROTO,https (or empty)."
    )
SECURE_PROXY_SSL_HEADER = tuple(_CABECERA_HTTPS) or None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): no inline script or style, nothing
# from another origin. Charts read their data from json_script blocks
# (type="application/json", never executed); the only data: URL is the empty
# favicon of base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The offline service worker (/sw.js) and the web app manifest.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}
# alerta.cabeceras.SinCache (MIDDLEWARE) adds "Cache-Control: no-store,
# private" to every response that is not a static file; it says why.
# --- end of security headers ------------------------------------------------

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", _("Español (Perú)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Progress of long imports is shared through the cache: use Redis in production
# (CACHE_URL=redis://host:6379/1) so that web and workers see the same values.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Files larger than this are refused before reading (bytes).
IMPORTACION_LIMITE_BYTES = env.int("IMPORTACION_LIMITE_BYTES", default=2 * 1024**3)

# Outgoing mail: EMAIL_URL (e.g. smtp+tls://user:password@host:587) in production,
# the console otherwise.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="alerta@localhost")
# Absolute address of the portal, for links sent by e-mail.
SITIO_URL = env.url("SITIO_URL", default="http://127.0.0.1:8000").geturl()
# Links mailed to choose a password, each with its own token (alerta/cuentas.py):
# a first-login link waits for someone who has never used the portal, a
# forgotten-password link for someone who asked for it a moment ago.
ENLACE_PRIMER_INGRESO_HORAS = env.int("ENLACE_PRIMER_INGRESO_HORAS", default=14 * 24)
ENLACE_CLAVE_OLVIDADA_HORAS = env.int("ENLACE_CLAVE_OLVIDADA_HORAS", default=24)
if ENLACE_PRIMER_INGRESO_HORAS < 1 or ENLACE_CLAVE_OLVIDADA_HORAS < 1:
    raise ImproperlyConfigured(
        "ENLACE_PRIMER_INGRESO_HORAS and ENLACE_CLAVE_OLVIDADA_HORAS must be 1 or more."
    )
# Django's own generator is not used for links; should anything use it, the
# shorter lifetime applies.
PASSWORD_RESET_TIMEOUT = ENLACE_CLAVE_OLVIDADA_HORAS * 3600

# Celery. Without a broker, tasks run in-process (the embedded default).
_BROKER = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_TASK_EAGER_PROPAGATES = True
# An in-process task still takes a producer from the broker's pool (Celery
# passes its arguments through the serializer): without a broker, an in-memory
# one named with a host, or kombu warns "No hostname was supplied" every time.
CELERY_BROKER_URL = _BROKER or "memory://localhost/"
# Chords (the nightly run's chunks, then its closing step) need a result
# backend: the broker's Redis unless another one is given.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_BROKER or None)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=4 * 60 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_TASK_ACKS_LATE = True
# With the broker down, queueing a task must fail within a second or two, not
# leave a user's upload waiting: a short connect timeout and two quick retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Students per chunk of the nightly run (one Celery task each).
RIESGO_LOTE_ESTUDIANTES = env.int("RIESGO_LOTE_ESTUDIANTES", default=50_000)
# PostgreSQL work_mem (MB) of a chunk's queries: their aggregates over tens of
# thousands of students spill to disk with the server's default of 4 MB.
RIESGO_MEMORIA_CONSULTAS_MB = env.int("RIESGO_MEMORIA_CONSULTAS_MB", default=64)
# Drift watch (riesgo.deriva): a variable's population stability index from
# DERIVA_PSI_MODERADA up is a moderate drift, from DERIVA_PSI_IMPORTANTE up an
# important one (told to Minedu by e-mail). 0.10 and 0.25 are the usual cuts.
DERIVA_PSI_MODERADA = env.float("DERIVA_PSI_MODERADA", default=0.10)
DERIVA_PSI_IMPORTANTE = env.float("DERIVA_PSI_IMPORTANTE", default=0.25)
if not 0 < DERIVA_PSI_MODERADA < DERIVA_PSI_IMPORTANTE:
    raise ImproperlyConfigured(
        "DERIVA_PSI_MODERADA and DERIVA_PSI_IMPORTANTE must satisfy "
        "0 < DERIVA_PSI_MODERADA < DERIVA_PSI_IMPORTANTE."
    )
CELERY_BEAT_SCHEDULE = {
    "puntaje-nocturno": {
        "task": "riesgo.tasks.puntuar_estudiantes",
        "schedule": crontab(hour=2, minute=0),
    },
    # An import whose process died (restart, out of memory) is closed as failed.
    "importaciones-interrumpidas": {
        "task": "siagie_import.tasks.cerrar_importaciones_interrumpidas",
        "schedule": crontab(minute="*/5"),
    },
}

# Access log (alerta.auditoria): who read personal data, kept this many days
# and then purged every night (docs/decisions/0016-retencion-de-accesos.md).
REGISTRO_ACCESO_RETENCION_DIAS = env.int("REGISTRO_ACCESO_RETENCION_DIAS", default=730)
if REGISTRO_ACCESO_RETENCION_DIAS < 1:
    raise ImproperlyConfigured("REGISTRO_ACCESO_RETENCION_DIAS must be at least 1")
# The use monitoring's aggregates, after the scoring run (whose counts of
# alto students they read) and before the day's first sign-ins.
CELERY_BEAT_SCHEDULE["uso-calcular"] = {
    "task": "monitoreo.tasks.calcular_uso",
    "schedule": crontab(hour=4, minute=15),
}
# Each pilot unit's weekly use, copied from those aggregates (pilotos.uso):
# monitoreo keeps half a year, the pilot's analysis needs them after that.
CELERY_BEAT_SCHEDULE["pilotos-uso"] = {
    "task": "pilotos.tasks.copiar_uso_de_unidades",
    "schedule": crontab(hour=4, minute=50),
}
CELERY_BEAT_SCHEDULE["registros-acceso-purgar"] = {
    "task": "alerta.tasks.purgar_registros_acceso",
    "schedule": crontab(hour=3, minute=30),
}

# The weekly digest to tutors and directors (avisos): Monday 07:00 Lima, after
# the night's run, in batches of this many users (one Celery task each).
CELERY_BEAT_SCHEDULE["resumen-semanal"] = {
    "task": "avisos.tasks.enviar_resumenes_semanales",
    "schedule": crontab(day_of_week=1, hour=7, minute=0),
}
# The outcome report of year t once t+1 is imported (resultados), after the
# scoring run and the use aggregation; it does nothing when nothing changed.
CELERY_BEAT_SCHEDULE["resultados-calcular"] = {
    "task": "resultados.tasks.calcular_resultados",
    "schedule": crontab(hour=5, minute=0),
}
AVISOS_LOTE_USUARIOS = env.int("AVISOS_LOTE_USUARIOS", default=500)
if AVISOS_LOTE_USUARIOS < 1:
    raise ImproperlyConfigured("AVISOS_LOTE_USUARIOS must be at least 1")

# --- REST API v1 (/api/v1/) --------------------------------------------------
# Personal API tokens (alerta.models.TokenApi): the days a new one lasts unless
# its owner chooses, and the most they may choose.
TOKEN_API_DIAS_POR_DEFECTO = env.int("TOKEN_API_DIAS_POR_DEFECTO", default=90)
TOKEN_API_DIAS_MAXIMO = env.int("TOKEN_API_DIAS_MAXIMO", default=365)
if not 1 <= TOKEN_API_DIAS_POR_DEFECTO <= TOKEN_API_DIAS_MAXIMO:
    raise ImproperlyConfigured(
        "TOKEN_API_DIAS_POR_DEFECTO must be between 1 and TOKEN_API_DIAS_MAXIMO."
    )


def _limite(variable: str, defecto: str) -> str:
    # DRF's rate format ("120/min": requests per second, minute, hour or day);
    # DRF itself would only fail at the first request.
    valor = env.str(variable, default=defecto)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", valor):
        raise ImproperlyConfigured(
            f"{variable} must be a number of requests per s, min, hour or day "
            f"(e.g. 120/min), not {valor!r}."
        )
    return valor


API_LIMITE_POR_TOKEN = _limite("API_LIMITE_POR_TOKEN", "120/min")
API_LIMITE_POR_USUARIO = _limite("API_LIMITE_POR_USUARIO", "600/min")

# Follow-up (seguimiento/): the author of an action may correct it for this
# many days after writing it; afterwards it stands as written (its history
# keeps every earlier state).
SEGUIMIENTO_DIAS_CORRECCION = env.int("SEGUIMIENTO_DIAS_CORRECCION", default=7)

REST_FRAMEWORK = {
    # Authentication, permissions and limits (personal API tokens, decision
    # 0023). A token goes first: a request that sends one is judged by it,
    # not by a session cookie it may carry too. Sessions stay for the browser,
    # with CSRF enforced on unsafe methods.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "alerta.api.autenticacion.TokenAutenticacion",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "alerta.api.permisos.SoloLecturaConToken",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "alerta.api.limites.LimitePorToken",
        "alerta.api.limites.LimitePorUsuario",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": API_LIMITE_POR_TOKEN,
        "usuario": API_LIMITE_POR_USUARIO,
    },
    # Answers a throttled request with a Spanish detail.
    "EXCEPTION_HANDLER": "alerta.api.limites.manejar_excepcion",
    # --- end of authentication, permissions and limits ---
    # JSON only, in every setting: the browsable API's pages carry inline code
    # the CSP refuses (decision 0022).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Cursor pages in a stable order, without counts (alerta/api/paginacion.py).
    "DEFAULT_PAGINATION_CLASS": "alerta.api.paginacion.Cursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks would log a line each ("Task ... succeeded"): keep the
    # console of the embedded setup for what matters. Workers keep theirs.
    LOGGING["loggers"] = {"celery.app.trace": {"level": "WARNING"}}
# django-axes reports every login at INFO; keep its warnings (lockouts) only.
LOGGING.setdefault("loggers", {})["axes"] = {"level": "WARNING"}

# OpenAPI schema of the REST API v1 (alerta.api, docs/decisions/0022-api-v1.md).
SPECTACULAR_SETTINGS = {
    "TITLE": "Alerta Escuela: API v1",
    "DESCRIPTION": (
        "API de lectura de Alerta Escuela, con el mismo alcance que el portal: "
        "cada persona ve solo las secciones, instituciones educativas y "
        "estudiantes de su alcance en el año escolar vigente. Lo que está fuera "
        "del alcance responde 404. Las listas se paginan con un cursor "
        "(parámetro `cursor`, tamaño `tamano`, 50 por defecto y 500 como "
        "máximo) y no dicen cuántos elementos hay."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Schema and docs are for people signed in, like the rest of the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # A school's nivel and a risk level are both "nivel": each its own name.
    "ENUM_NAME_OVERRIDES": {
        "NivelEscolarEnum": "alerta.models.Nivel",
        "NivelRiesgoEnum": "riesgo.models.NivelRiesgo",
    },
}
