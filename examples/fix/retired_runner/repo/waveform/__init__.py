"""Synthesise simple waveforms."""

import numpy as np


def sine(freq: float, seconds: float, rate: int = 44_100) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return np.sin(2 * np.pi * freq * t)
