"""The enrollments a nómina has already brought, to tell a repeated one.

A nómina is written a chunk at a time, and the same enrollment (student, IE,
year) may come back thousands of rows later. Keeping every key as a Python
tuple would take gigabytes for a national file, and a temporary table with a
unique index costs the database server about 5 µs a row. Here each key is kept
as its 128-bit BLAKE2b digest (two int64) with its row number, 20 bytes a row,
in sorted NumPy arrays of doubling sizes merged like a binary counter: looking
a chunk up costs one binary search per array, a few per million rows. Two
different keys share a digest with probability 2**-128.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np

_DIGESTO = np.dtype([("a", "<i8"), ("b", "<i8")])


@dataclass
class _Nivel:
    a: np.ndarray  # sorted
    b: np.ndarray
    fila: np.ndarray

    def __len__(self) -> int:
        return len(self.a)

    @classmethod
    def ordenado(cls, a: np.ndarray, b: np.ndarray, fila: np.ndarray) -> "_Nivel":
        orden = np.argsort(a, kind="stable")
        return cls(a[orden], b[orden], fila[orden])


class MatriculasVistas:
    """Keys seen so far in one file, each with the row that brought it first."""

    def __init__(self) -> None:
        self._niveles: list[_Nivel] = []

    def __len__(self) -> int:
        return sum(len(n) for n in self._niveles)

    def repetidas(
        self, claves: Sequence[str], filas: Sequence[int]
    ) -> list[tuple[int, int]]:
        """Take a chunk's keys, in file order, with their rows; return, for
        each key already seen (earlier in the chunk or in an earlier chunk),
        (its position in the chunk, the row that brought it first). The keys
        seen for the first time are remembered."""
        n = len(claves)
        if not n:
            return []
        digestos = np.frombuffer(
            b"".join(blake2b(c.encode(), digest_size=16).digest() for c in claves),
            dtype=_DIGESTO,
        )
        a, b = digestos["a"], digestos["b"]
        fila = np.asarray(filas, dtype=np.int64)
        primera = np.full(n, -1, dtype=np.int64)

        for nivel in self._niveles:
            self._buscar(nivel, a, b, primera)

        # Within the chunk: group equal keys, the earliest row first.
        orden = np.lexsort((fila, b, a))
        a_o, b_o = a[orden], b[orden]
        igual = np.zeros(n, dtype=bool)
        igual[1:] = (a_o[1:] == a_o[:-1]) & (b_o[1:] == b_o[:-1])
        inicio = np.maximum.accumulate(np.where(igual, 0, np.arange(n)))
        sigue = orden[igual]
        nuevas_repetidas = primera[sigue] < 0
        primera[sigue[nuevas_repetidas]] = fila[orden[inicio[igual]]][nuevas_repetidas]

        nuevas = primera < 0
        self._agregar(_Nivel.ordenado(a[nuevas], b[nuevas], fila[nuevas]))
        return [(int(i), int(primera[i])) for i in np.flatnonzero(~nuevas)]

    @staticmethod
    def _buscar(
        nivel: _Nivel, a: np.ndarray, b: np.ndarray, primera: np.ndarray
    ) -> None:
        if not len(nivel):
            return
        desde = np.searchsorted(nivel.a, a, side="left")
        hasta = np.searchsorted(nivel.a, a, side="right")
        # Equal first halves are checked on the second one; a run of more than
        # one equal first half (a 64-bit collision) is walked one by one.
        for i in np.flatnonzero(hasta > desde):
            for j in range(desde[i], hasta[i]):
                if nivel.b[j] == b[i]:
                    primera[i] = nivel.fila[j]
                    break

    def _agregar(self, nivel: _Nivel) -> None:
        if not len(nivel):
            return
        self._niveles.append(nivel)
        while len(self._niveles) > 1 and len(self._niveles[-2]) <= 2 * len(
            self._niveles[-1]
        ):
            ultimo, penultimo = self._niveles.pop(), self._niveles.pop()
            self._niveles.append(
                _Nivel.ordenado(
                    np.concatenate((penultimo.a, ultimo.a)),
                    np.concatenate((penultimo.b, ultimo.b)),
                    np.concatenate((penultimo.fila, ultimo.fila)),
                )
            )
