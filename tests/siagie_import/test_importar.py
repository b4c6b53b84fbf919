import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from alerta.models import (
    Asignacion,
    Estudiante,
    InstitucionEducativa,
    Matricula,
    Rol,
    Ugel,
)
from siagie_import.models import EstadoImportacion, Importacion
from siagie_import.services import importacion_ejecutar

PADRON = [
    {
        "COD_MOD": "0403691",
        "ANEXO": "0",
        "CEN_EDU": "IE 50001 Túpac  Amaru",
        "NIV_MOD": "B0",
        "GESTION": "1",
        "CODGEO": "080101",
        "DAREACENSO": "Urbana",
        "CODOOII": "080001",
        "D_DREUGEL": "UGEL CUSCO",
        "D_REGION": "DRE CUSCO",
    },
    {
        "COD_MOD": "0511111",
        "ANEXO": "0",
        "CEN_EDU": "IE 56789",
        "NIV_MOD": "B0",
        "GESTION": "3",
        "CODGEO": "080901",
        "DAREACENSO": "Rural",
        "CODOOII": "080009",
        "D_DREUGEL": "UGEL LA CONVENCION",
        "D_REGION": "DRE CUSCO",
    },
]


def _nomina(**cambios) -> dict:
    fila = {
        "ANIO": "2026",
        "COD_MOD": "0403691",
        "ANEXO": "0",
        "NIVEL": "PRIMARIA",
        "GRADO": "3",
        "SECCION": "A",
        "COD_ESTUDIANTE": "00000000000001",
        "TIPO_DOCUMENTO": "DNI",
        "NUMERO_DOCUMENTO": "70000001",
        "APELLIDO_PATERNO": "QUISPE",
        "APELLIDO_MATERNO": "MAMANI",
        "NOMBRES": "ANA LUCÍA",
        "SEXO": "MUJER",
        "FECHA_NACIMIENTO": "2017-05-10",
        "SITUACION_MATRICULA": "PROMOVIDO",
        "SITUACION_FINAL": "",
        "TRABAJA": "NO",
        "HORAS_SEMANALES_TRABAJO": "",
    }
    fila.update(cambios)
    return fila


def escribir(carpeta: Path, nombre: str, filas: list[dict]) -> Path:
    ruta = carpeta / nombre
    with ruta.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(filas[0]))
        w.writeheader()
        w.writerows(filas)
    return ruta


@pytest.fixture
def padron(db, tmp_path):
    imp = importacion_ejecutar(ruta=escribir(tmp_path, "padron_iiee.csv", PADRON))
    assert imp.estado == EstadoImportacion.COMPLETADA
    return tmp_path


def test_padron_creates_the_territory_and_the_ies(padron):
    ie = InstitucionEducativa.objects.get(codigo_modular="0403691")
    assert ie.nombre == "IE 50001 TÚPAC AMARU"
    assert ie.ugel.dre.nombre == "DRE CUSCO"
    assert ie.distrito.departamento == "Cusco"
    assert Ugel.objects.count() == 2
    assert (
        InstitucionEducativa.objects.get(codigo_modular="0511111").gestion == "PRIVADA"
    )


def test_nomina_creates_students_secciones_and_enrollments(padron):
    filas = [
        _nomina(),
        _nomina(COD_ESTUDIANTE="00000000000002", NOMBRES="JOSÉ", SEXO="HOMBRE"),
    ]
    imp = importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", filas))
    assert (imp.filas_leidas, imp.filas_aceptadas, imp.filas_rechazadas) == (2, 2, 0)
    assert Matricula.objects.filter(seccion__letra="A", seccion__anio=2026).count() == 2
    assert imp.anio == 2026 and len(imp.sha256) == 64


def test_loading_the_same_file_twice_changes_nothing(padron):
    ruta = escribir(padron, "nomina_2026.csv", [_nomina()])
    importacion_ejecutar(ruta=ruta)
    antes = list(Matricula.objects.values())
    importacion_ejecutar(ruta=ruta)
    assert list(Matricula.objects.values()) == antes
    assert Estudiante.objects.count() == 1


def test_a_corrected_extract_updates_the_rows_it_carries(padron):
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", [_nomina()]))
    corregida = [_nomina(SITUACION_FINAL="RETIRADO", NOMBRES="ANA LUCIA")]
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", corregida))
    m = Matricula.objects.select_related("estudiante").get()
    assert m.situacion_final == "RETIRADO"
    assert m.estudiante.nombres == "ANA LUCIA"


@pytest.mark.parametrize(
    ("cambio", "columna"),
    [
        ({"NOMBRES": ""}, "NOMBRES"),
        ({"COD_MOD": "0999999"}, "COD_MOD"),
        ({"GRADO": "7"}, "GRADO"),
        ({"NIVEL": "SUPERIOR"}, "NIVEL"),
        ({"SEXO": "X"}, "SEXO"),
        ({"FECHA_NACIMIENTO": "2099-01-01"}, "FECHA_NACIMIENTO"),
        ({"FECHA_NACIMIENTO": "2024-01-01"}, "FECHA_NACIMIENTO"),  # 2 in 3.º
        ({"FECHA_NACIMIENTO": "1990-06-01"}, "FECHA_NACIMIENTO"),  # 35 in 3.º
        ({"COD_ESTUDIANTE": "123"}, "COD_ESTUDIANTE"),
        ({"HORAS_SEMANALES_TRABAJO": "400"}, "HORAS_SEMANALES_TRABAJO"),
        ({"ANIO": "99999"}, "ANIO"),
        ({"ANIO": "1850"}, "ANIO"),
        ({"SECCION": "A" * 11}, "SECCION"),
        ({"NOMBRES": "ANA " * 40}, "NOMBRES"),
    ],
)
def test_a_bad_row_is_reported_and_the_good_rows_go_in(padron, cambio, columna):
    filas = [_nomina(), _nomina(**{"COD_ESTUDIANTE": "00000000000002", **cambio})]
    imp = importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", filas))
    assert imp.estado == EstadoImportacion.COMPLETADA
    assert imp.filas_aceptadas == 1
    [rechazo] = imp.rechazos.all()
    assert rechazo.fila == 3  # the header is row 1
    assert rechazo.columna == columna
    assert rechazo.motivo
    assert Matricula.objects.count() == 1


def test_a_file_missing_a_required_column_imports_nothing(padron):
    filas = [{k: v for k, v in _nomina().items() if k != "COD_ESTUDIANTE"}]
    imp = importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", filas))
    assert imp.estado == EstadoImportacion.FALLIDA
    assert "COD_ESTUDIANTE" in imp.mensaje
    assert Matricula.objects.count() == 0


def test_evaluation_of_an_unknown_student_is_rejected(padron):
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", [_nomina()]))
    filas = [
        {
            "ANIO": "2026",
            "COD_ESTUDIANTE": cod,
            "PERIODO": "1",
            "AREA": "MATEMATICA",
            "CALIFICATIVO": "B",
        }
        for cod in ("00000000000001", "00000000000099")
    ]
    imp = importacion_ejecutar(ruta=escribir(padron, "evaluacion_2026.csv", filas))
    assert imp.filas_aceptadas == 1
    assert imp.rechazos.get().columna == "COD_ESTUDIANTE"


def _personal(**cambios) -> dict:
    fila = {
        "ANIO": "2026",
        "COD_MOD": "0403691",
        "ANEXO": "0",
        "CARGO": "TUTOR",
        "NIVEL": "PRIMARIA",
        "GRADO": "3",
        "SECCION": "A",
        "NUMERO_DOCUMENTO": "41234567",
        "APELLIDOS": "HUAMÁN TTITO",
        "NOMBRES": "ROSA",
        "CORREO": "rosa@example.pe",
    }
    fila.update(cambios)
    return fila


def test_personal_provisions_accounts_without_a_password(padron):
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", [_nomina()]))
    filas = [
        _personal(),
        _personal(
            CARGO="DIRECTOR", NIVEL="", GRADO="", SECCION="", NUMERO_DOCUMENTO="1234567"
        ),
    ]
    imp = importacion_ejecutar(ruta=escribir(padron, "personal_2026.csv", filas))
    assert imp.filas_aceptadas == 2, list(imp.rechazos.values())
    tutora = Asignacion.objects.get(rol=Rol.TUTOR).usuario
    assert tutora.username == "41234567" and not tutora.has_usable_password()
    director = Asignacion.objects.get(rol=Rol.DIRECTOR).usuario
    assert director.numero_documento == "01234567"  # a DNI that lost its leading zero


def test_a_new_tutor_in_a_later_extract_replaces_the_previous_one(padron):
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", [_nomina()]))
    importacion_ejecutar(ruta=escribir(padron, "personal_2026.csv", [_personal()]))
    importacion_ejecutar(
        ruta=escribir(
            padron, "personal_2026.csv", [_personal(NUMERO_DOCUMENTO="47654321")]
        )
    )
    activas = Asignacion.objects.vigentes().filter(rol=Rol.TUTOR)
    assert [a.usuario.username for a in activas] == ["47654321"]


def test_command_prints_counts_and_fails_on_a_bad_file(padron, capsys):
    escribir(padron, "nomina_2026.csv", [{"ANIO": "2026"}])
    with pytest.raises(CommandError):
        call_command("importar_siagie", str(padron / "nomina_2026.csv"))
    assert Importacion.objects.filter(estado=EstadoImportacion.FALLIDA).count() == 1


def test_a_new_account_gets_a_first_login_link_that_sets_its_password(
    padron, client, mailoutbox, django_capture_on_commit_callbacks
):
    import re

    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", [_nomina()]))
    with django_capture_on_commit_callbacks(execute=True):
        importacion_ejecutar(ruta=escribir(padron, "personal_2026.csv", [_personal()]))
    [correo] = mailoutbox
    assert correo.to == ["rosa@example.pe"]
    enlace = re.search(r"http://\S+/primer-ingreso/\S+/", correo.body).group(0)
    assert "41234567" not in enlace  # no DNI in the URL
    assert "41234567" not in correo.body  # nor in the message

    r = client.get(enlace, follow=True)
    assert r.context["validlink"]
    clave = "Cusco-Aula-2026"
    client.post(
        r.redirect_chain[-1][0], {"new_password1": clave, "new_password2": clave}
    )
    assert client.login(username="41234567", password=clave)


def test_re_importing_personal_sends_no_second_e_mail(
    padron, mailoutbox, django_capture_on_commit_callbacks
):
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", [_nomina()]))
    ruta = escribir(padron, "personal_2026.csv", [_personal()])
    with django_capture_on_commit_callbacks(execute=True):
        importacion_ejecutar(ruta=ruta)
    with django_capture_on_commit_callbacks(execute=True):
        importacion_ejecutar(ruta=ruta)
    assert len(mailoutbox) == 1


def test_the_same_enrollment_twice_in_one_file_is_rejected_once(padron):
    filas = [_nomina(), _nomina(COD_ESTUDIANTE="00000000000002"), _nomina()]
    imp = importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", filas))
    assert (imp.filas_leidas, imp.filas_aceptadas, imp.filas_rechazadas) == (3, 2, 1)
    rechazo = imp.rechazos.get()
    assert rechazo.fila == 4 and "fila 2" in rechazo.motivo
    assert Matricula.objects.count() == 2


def test_a_mid_year_transfer_is_not_a_repeated_enrollment(padron):
    filas = [
        _nomina(SITUACION_FINAL="TRASLADADO"),
        _nomina(COD_MOD="511111", SECCION="UNICA"),
    ]
    imp = importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", filas))
    assert imp.filas_rechazadas == 0
    assert (
        Matricula.objects.filter(estudiante__codigo_siagie="00000000000001").count()
        == 2
    )


def test_re_importing_an_unchanged_file_keeps_the_same_rows_and_ids(padron):
    ruta = escribir(padron, "nomina_2026.csv", [_nomina()])
    importacion_ejecutar(ruta=ruta)
    antes = list(Estudiante.objects.values("pk", "uuid", "nombres"))
    importacion_ejecutar(ruta=ruta)
    assert list(Estudiante.objects.values("pk", "uuid", "nombres")) == antes


@pytest.mark.parametrize(
    ("cambio", "columna"),
    [
        (
            {"DIAS_LECTIVOS": "70000", "INASISTENCIAS_INJUSTIFICADAS": "3"},
            "DIAS_LECTIVOS",
        ),
        ({"INASISTENCIAS_JUSTIFICADAS": "99999"}, "INASISTENCIAS_JUSTIFICADAS"),
    ],
)
def test_a_number_out_of_its_column_range_is_a_rejected_row(padron, cambio, columna):
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", [_nomina()]))
    fila = {
        "ANIO": "2026",
        "COD_ESTUDIANTE": "00000000000001",
        "PERIODO": "1",
        "DIAS_LECTIVOS": "45",
        "INASISTENCIAS_INJUSTIFICADAS": "2",
        "INASISTENCIAS_JUSTIFICADAS": "0",
    }
    fila.update(cambio)
    imp = importacion_ejecutar(ruta=escribir(padron, "asistencia_2026.csv", [fila]))
    assert imp.estado == EstadoImportacion.COMPLETADA
    assert imp.rechazos.get().columna == columna


@pytest.mark.parametrize(
    ("cambio", "columna"),
    [
        ({"NLAT_IE": "no sé", "NLONG_IE": "-71.9"}, "NLAT_IE"),
        ({"NLAT_IE": "-13.5", "NLONG_IE": "10"}, "NLONG_IE"),
        ({"ANEXO": "70000"}, "ANEXO"),
        ({"CODLOCAL": "12345678"}, "CODLOCAL"),
    ],
)
def test_a_bad_padron_row_is_reported_and_the_rest_go_in(db, tmp_path, cambio, columna):
    filas = [dict(PADRON[0]), {**PADRON[1], "NLAT_IE": "", "NLONG_IE": "", **cambio}]
    filas[0].update(
        {"NLAT_IE": "-13.52", "NLONG_IE": "-71.97", "CODLOCAL": "", "ANEXO": "0"}
    )
    filas[1].setdefault("CODLOCAL", "")
    imp = importacion_ejecutar(ruta=escribir(tmp_path, "padron_iiee.csv", filas))
    assert imp.filas_aceptadas == 1
    assert imp.rechazos.get().columna == columna
    assert InstitucionEducativa.objects.get().latitud == -13.52


def test_a_personal_file_of_thousands_of_rows_loads_in_few_queries(
    padron, django_assert_max_num_queries
):
    # 2,500 tutors of 2,500 secciones (more than one chunk of 2,000 rows).
    nomina = [_nomina(COD_ESTUDIANTE=f"{i:014d}", SECCION=f"S{i}") for i in range(2500)]
    importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", nomina))
    personal = [
        _personal(SECCION=f"S{i}", NUMERO_DOCUMENTO=f"{40000000 + i}")
        for i in range(2500)
    ]
    ruta = escribir(padron, "personal_2026.csv", personal)
    with django_assert_max_num_queries(100):  # was ~6 per row before
        imp = importacion_ejecutar(ruta=ruta)
    assert imp.filas_aceptadas == 2500
    assert Asignacion.objects.vigentes().filter(rol=Rol.TUTOR).count() == 2500
    # The second half of the file hands half the secciones to other people.
    cambio = [
        _personal(SECCION=f"S{i}", NUMERO_DOCUMENTO=f"{50000000 + i}")
        for i in range(1250, 2500)
    ]
    importacion_ejecutar(ruta=escribir(padron, "personal_2026.csv", cambio))
    vigentes = Asignacion.objects.vigentes().filter(rol=Rol.TUTOR)
    assert vigentes.count() == 2500
    assert vigentes.filter(usuario__username__startswith="5").count() == 1250
    assert Asignacion.objects.filter(rol=Rol.TUTOR, activa=False).count() == 1250
