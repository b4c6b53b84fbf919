"""Directors and tutors of one UGEL, kept from year to year.

A person keeps one DNI, name and e-mail (a quarter have none) for the whole
run. Each IE has a pool of teachers: a tutor usually keeps the same sección
the next year. In small rural schools of inicial and primaria (multigrado) a
few teachers tutor blocks of grades, and where the local has only that IE one
of them is also the director. Other locales have their own director, who
stays from one year to the next nine times in ten.
"""

from __future__ import annotations

import numpy as np

from . import nombres as nom
from .codigos import dni
from .escritura import Salidas
from .escuelas import (
    INICIAL,
    NOMBRE_NIVEL,
    PASO_GRADO,
    PASO_NIVEL,
    SECUNDARIA,
    Escuelas,
)


class Personal:
    def __init__(
        self,
        *,
        escuelas: Escuelas,
        local_ie: np.ndarray,
        origen: np.ndarray,
        rng: np.random.Generator,
        semilla: int,
        base_personal: int,
        salidas: Salidas,
    ) -> None:
        self.esc = escuelas
        self.local_ie = local_ie
        self.nivel_ie = escuelas.nivel
        self.rural_ie = escuelas.rural
        self.ies_del_local = np.bincount(local_ie)
        self.origen = origen
        self.rng = rng
        self.semilla = semilla
        self.base_personal = base_personal
        self.salidas = salidas
        self.per_serial: list[int] = []
        self.per_datos: list[tuple[str, str, str | None]] = []
        self.reserva_personas: dict[tuple, list[tuple]] = {}
        self.pool: dict[int, list[int]] = {}
        self.tutor_previo: dict[tuple[int, int, str], int] = {}
        self.director_local: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.per_serial)

    def nuevas(self, ie: int, n: int) -> list[int]:
        """``n`` new teachers with names that fit the IE's place."""
        clave = tuple(self.origen[ie].tolist())
        reserva = self.reserva_personas.setdefault(clave, [])
        if len(reserva) < n:
            reserva.extend(self._crear_personas(self.origen[ie], max(n, 64)))
        tomadas, reserva[:] = reserva[:n], reserva[n:]
        ids = []
        for datos in tomadas:
            ids.append(len(self.per_serial))
            self.per_serial.append(self.base_personal + len(self.per_serial))
            self.per_datos.append(datos)
        return ids

    def _crear_personas(self, origen: np.ndarray, n: int) -> list[tuple]:
        rng = self.rng
        mujer = (rng.random(n) < 0.62).astype(np.int8)
        lengua = np.full(n, "CASTELLANO", dtype=object)
        origenes = np.tile(origen, (n, 1))
        ap_pat = nom.sortear_apellidos(rng, origenes, lengua)
        ap_mat = nom.sortear_apellidos(rng, origenes, lengua)
        nom1, nom2 = nom.sortear_nombres(rng, mujer, reciente=0.1)
        nombres = nom.texto_nombres(nom1, nom2)
        con_correo = rng.random(n) < 0.75
        numeros = rng.integers(1, 999, n)
        personas = []
        for j in range(n):
            pat = nom.APELLIDOS[ap_pat[j]]
            mat = nom.APELLIDOS[ap_mat[j]]
            correo = None
            if con_correo[j]:
                correo = nom.correo(nombres[j], pat, int(numeros[j]))
            personas.append((f"{pat} {mat}", nombres[j], correo))
        return personas

    def escribir(
        self, t: int, ie: np.ndarray, paso: np.ndarray, etiqueta: np.ndarray
    ) -> None:
        rng, esc = self.rng, self.esc
        claves = sorted(
            set(zip(ie.tolist(), paso.tolist(), etiqueta.tolist(), strict=True))
        )
        por_ie: dict[int, list[tuple[int, str]]] = {}
        for i, p, s in claves:
            por_ie.setdefault(i, []).append((p, s))
        alumnos = np.bincount(ie, minlength=len(esc))
        filas: list[tuple] = []
        for i in sorted(por_ie):
            secciones = por_ie[i]
            local = int(self.local_ie[i])
            pool = self.pool.setdefault(i, [])
            nivel = int(self.nivel_ie[i])
            limite = 40 if nivel == INICIAL else 90
            multigrado = (
                bool(self.rural_ie[i]) and nivel != SECUNDARIA and (alumnos[i] < limite)
            )
            if multigrado:
                docentes = max(
                    1, min(6, -(-int(alumnos[i]) // (20 if nivel == 0 else 25)))
                )
                while len(pool) < docentes:
                    pool.extend(self.nuevas(i, 1))
                grados = sorted({p for p, _ in secciones})
                asignado = {
                    (p, s): pool[grados.index(p) * docentes // len(grados)]
                    for p, s in secciones
                }
            else:
                asignado = {}
                libres = [x for x in pool]
                usados: set[int] = set()
                for p, s in secciones:
                    previo = self.tutor_previo.get((i, p, s))
                    if (
                        previo is not None
                        and previo not in usados
                        and rng.random() < 0.6
                    ):
                        persona = previo
                    else:
                        candidatos = [x for x in libres if x not in usados]
                        if candidatos and rng.random() < 0.9:
                            persona = candidatos[0]
                        else:
                            persona = self.nuevas(i, 1)[0]
                            pool.append(persona)
                    usados.add(persona)
                    asignado[(p, s)] = persona
            # The director: the teacher of a one-IE multigrade local, else the
            # local's own director, who stays from year to year most of the time.
            if multigrado and self.ies_del_local[local] == 1:
                director = pool[0]
            else:
                director = self.director_local.get(local)
                if director is None or rng.random() < 0.1:
                    director = self.nuevas(i, 1)[0]
            self.director_local[local] = director
            filas.append((i, "DIRECTOR", None, None, None, director))
            for (p, s), persona in asignado.items():
                self.tutor_previo[(i, p, s)] = persona
                filas.append(
                    (
                        i,
                        "TUTOR",
                        NOMBRE_NIVEL[PASO_NIVEL[p]],
                        int(PASO_GRADO[p]),
                        s,
                        persona,
                    )
                )
        personas = [f[5] for f in filas]
        seriales = np.array([self.per_serial[x] for x in personas], dtype=np.int64)
        # From 01000000: about half of the staff's DNIs start with a zero, which
        # a spreadsheet drops (the messy mode writes them so).
        dnis = dni(seriales, 1_000_000, self.semilla, 24)
        self.salidas.escribir(
            f"personal_{t}",
            [
                [t] * len(filas),
                [esc.cod_mod[f[0]] for f in filas],
                ["0"] * len(filas),
                [f[1] for f in filas],
                [f[2] for f in filas],
                [f[3] for f in filas],
                [f[4] for f in filas],
                [f"{d:08d}" for d in dnis.tolist()],
                [self.per_datos[x][0] for x in personas],
                [self.per_datos[x][1] for x in personas],
                [self.per_datos[x][2] for x in personas],
            ],
        )
