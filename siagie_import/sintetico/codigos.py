"""Codes that look like SIAGIE's and RENIEC's, unique without a registry.

Each UGEL numbers its students and staff within its own block of serial
numbers; a bijection scatters the serials into codes and DNIs, so that they are
distinct across the whole run while neighbours look unrelated.
"""

from __future__ import annotations

import numpy as np

MAX_ESTUDIANTES = 2**25
MAX_PERSONAL = 2**24


def mezclar(serial: np.ndarray, semilla: int, bits: int) -> np.ndarray:
    """A bijection of [0, 2**bits) that scatters consecutive serial numbers.

    Xor-shifts and odd multiplications modulo a power of two are invertible,
    so distinct serials give distinct codes, yet neighbours look unrelated.
    """
    mascara = np.uint64(2**bits - 1)
    x = (serial.astype(np.uint64) + np.uint64(semilla * 2_654_435 % 2**bits)) & mascara
    with np.errstate(over="ignore"):
        for mult, corrimiento in ((0x9E3779B1, bits // 2), (0x85EBCA77, bits // 3)):
            x ^= x >> np.uint64(corrimiento)
            x = (x * np.uint64(mult)) & mascara
        x ^= x >> np.uint64(bits // 2)
    return x.astype(np.int64)


def codigos_estudiante(serial: np.ndarray, semilla: int) -> list[str]:
    """14-digit SIAGIE-like codes: 13 scattered digits plus a check digit."""
    cuerpo = mezclar(serial, semilla, 43)
    suma = np.zeros_like(cuerpo)
    resto = cuerpo.copy()
    for posicion in range(13):
        suma += (resto % 10) * (3 if posicion % 2 == 0 else 1)
        resto //= 10
    control = (10 - suma % 10) % 10
    return [
        f"{c:013d}{d}" for c, d in zip(cuerpo.tolist(), control.tolist(), strict=True)
    ]


def dni(serial: np.ndarray, desde: int, semilla: int, bits: int) -> np.ndarray:
    """8-digit DNIs from ``desde``, distinct for distinct serials."""
    return desde + mezclar(serial, semilla + 1, bits)
