"""Colour arithmetic for the palette tests: WCAG contrast, CIELAB, CIEDE2000 and simulated
colour-vision deficiencies. Tests only; nothing here ships.

Every function takes and returns plain numbers or ``"#rrggbb"`` strings; no third-party library.

- Contrast is WCAG 2.x: relative luminance from linearised sRGB, ratio ``(L1 + 0.05) / (L2 + 0.05)``.
- CIELAB is from sRGB (IEC 61966-2-1) through XYZ with the D65 white point.
- ΔE is CIEDE2000 (Sharma, Wu and Dalal 2005, with their test data checked in ``test_palette``).
- Dichromacy is simulated with the severity-1.0 matrices of Machado, Oliveira and Fernandes 2009,
  applied to linear sRGB (as in their paper and in colorspacious/DaltonLens), then clipped to
  the gamut. Machado's tritanopia is the least faithful of the three, so tritanopia is also
  simulated with Brettel, Viénot and Mollon 1997 (two half-planes in LMS, the DaltonLens
  parameters for sRGB).
"""

from __future__ import annotations

import math

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]


def _mul(m: Mat, v: Vec) -> Vec:
    return tuple(sum(m[r][c] * v[c] for c in range(3)) for r in range(3))  # type: ignore[return-value]


# -- sRGB ------------------------------------------------------------------------------------
def rgb(hex_colour: str) -> Vec:
    """``"#rrggbb"`` (or ``"rrggbb"``) -> sRGB components in 0..1."""
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #rrggbb colour: {hex_colour!r}")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(c: Vec) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, x)) * 255):02x}" for x in c)


def linear(c: Vec) -> Vec:
    """Gamma-encoded sRGB -> linear light (the IEC piecewise curve)."""
    return tuple(x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c)  # type: ignore


def encode(c: Vec) -> Vec:
    """Linear light -> gamma-encoded sRGB, clipped to 0..1."""
    c = tuple(min(1.0, max(0.0, x)) for x in c)
    return tuple(12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055 for x in c)  # type: ignore


# -- WCAG contrast ---------------------------------------------------------------------------
def luminance(hex_colour: str) -> float:
    """WCAG relative luminance. (WCAG 2.x writes the threshold as 0.03928; the difference from
    0.04045 never changes a 0..255 value's result.)"""
    r, g, b = linear(rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# -- CIELAB ----------------------------------------------------------------------------------
_RGB_TO_XYZ: Mat = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
_WHITE = (0.95047, 1.0, 1.08883)  # D65, Y = 1


def lab_from_linear(c: Vec) -> Vec:
    x, y, z = (v / w for v, w in zip(_mul(_RGB_TO_XYZ, c), _WHITE))

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def lab(hex_colour: str) -> Vec:
    return lab_from_linear(linear(rgb(hex_colour)))


# -- CIEDE2000 -------------------------------------------------------------------------------
def delta_e2000(lab1: Vec, lab2: Vec) -> float:
    """CIEDE2000 colour difference with kL = kC = kH = 1."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dh_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))

    l_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_bar = (h1p + h2p + 360) / 2
    else:
        hp_bar = (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30)) + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6)) - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh_big / s_h) ** 2
                     + r_t * (dc / s_c) * (dh_big / s_h))


# -- colour-vision deficiency ---------------------------------------------------------------
# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear sRGB
MACHADO: dict[str, Mat] = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779),
                   (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}

# Brettel, Viénot & Mollon (1997) tritanopia, with the sRGB <-> LMS matrices and the two
# half-plane projections DaltonLens derives for the Smith & Pokorny cone fundamentals
_BRETTEL_TRITAN: tuple[Mat, Mat, Vec] = (
    ((1.01354, 0.14268, -0.15622),
     (-0.01181, 0.87561, 0.13619),
     (0.07707, 0.81208, 0.11085)),
    ((0.93337, 0.19999, -0.13336),
     (0.05809, 0.82565, 0.11626),
     (-0.37923, 1.13825, 0.24098)),
    (0.03960, -0.02831, -0.01129),  # the separation plane's normal, in linear RGB
)


def simulate_linear(c: Vec, deficiency: str) -> Vec:
    """Linear sRGB as seen with ``deficiency`` ("normal", one of ``MACHADO``, or
    "tritanopia-brettel"), clipped to the gamut."""
    if deficiency == "normal":
        out = c
    elif deficiency == "tritanopia-brettel":
        m1, m2, normal = _BRETTEL_TRITAN
        out = _mul(m1 if sum(n * x for n, x in zip(normal, c)) >= 0 else m2, c)
    else:
        out = _mul(MACHADO[deficiency], c)
    return tuple(min(1.0, max(0.0, x)) for x in out)  # type: ignore[return-value]


def simulate(hex_colour: str, deficiency: str) -> str:
    return to_hex(encode(simulate_linear(linear(rgb(hex_colour)), deficiency)))


def lab_seen(hex_colour: str, deficiency: str) -> Vec:
    return lab_from_linear(simulate_linear(linear(rgb(hex_colour)), deficiency))


VISIONS = ("normal", "protanopia", "deuteranopia", "tritanopia", "tritanopia-brettel")


def difference(a: str, b: str, deficiency: str = "normal") -> float:
    """CIEDE2000 between ``a`` and ``b`` as seen with ``deficiency``."""
    return delta_e2000(lab_seen(a, deficiency), lab_seen(b, deficiency))
