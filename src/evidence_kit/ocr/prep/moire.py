"""Moiré of a photographed screen: found as isolated spectral peaks and notched out.
"""

from __future__ import annotations

from typing import Any

from evidence_kit.ocr.prep.blur import wide_blur

# Moiré: a spectral peak this far (natural log) above its surroundings, away from the low
# frequencies that carry text and line pitch (MOIRE_R0 cycles per pixel), on a photo.
MOIRE_PEAK = 3.8


MOIRE_R0 = 0.08


def dft_padded(arr: Any) -> Any:
    """``arr`` mirrored out to a size the DFT is fast at (an awkward size can be 10× slower)."""
    import cv2

    h, w = arr.shape[:2]
    return cv2.copyMakeBorder(arr, 0, cv2.getOptimalDFTSize(h) - h, 0,
                              cv2.getOptimalDFTSize(w) - w, cv2.BORDER_REFLECT)


def dft_cropped(arr: Any) -> Any:
    """``arr`` cut down to the nearest size below that the DFT is fast at: a prime side (719
    px) makes it ten times slower. At the plan's sizes a few per cent goes (719 -> 675), which moved
    no moiré decision on the hard and real-dev photos."""
    import cv2

    h, w = arr.shape[:2]
    th, tw = h, w
    while cv2.getOptimalDFTSize(th) != th:
        th -= 1
    while cv2.getOptimalDFTSize(tw) != tw:
        tw -= 1
    return arr[(h - th) // 2 : (h - th) // 2 + th, (w - tw) // 2 : (w - tw) // 2 + tw]


def has_moire(rgb: Any) -> bool:
    return bool(spectral_peaks(dft_cropped(rgb)).max() > MOIRE_PEAK)


def spectral_peaks(rgb: Any) -> Any:
    """How far each frequency of the grey image stands above its neighbourhood (log
    magnitude), zero at the low frequencies; centred spectrum."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return peaks_of(cv2.dft(grey - grey.mean(), flags=cv2.DFT_COMPLEX_OUTPUT))


def peaks_of(spectrum: Any) -> Any:
    import cv2
    import numpy as np

    h, w = spectrum.shape[:2]
    mag = np.fft.fftshift(cv2.magnitude(spectrum[..., 0], spectrum[..., 1]))
    mag = cv2.log(mag + 1.0)  # log1p, in OpenCV's vectorised float32 (numpy's is slower)
    fy = (np.arange(h, dtype=np.float32) - h / 2) / h
    fx = (np.arange(w, dtype=np.float32) - w / 2) / w
    low = fy[:, None] ** 2 + fx[None, :] ** 2 <= MOIRE_R0**2
    peaks = mag - wide_blur(mag, 8)
    peaks[low] = 0
    return peaks


def remove_moire(arr: Any) -> Any:
    """Notch filter: the isolated spectral peaks of a screen's pixel grid beating against the
    camera's are zeroed in every channel; text, whose spectrum is broad, keeps its strokes.
    (Notching the luminance alone, in one transform, was measured: 0.3–0.6 points more CER
    on the photographed screens of three corpora, so each colour is filtered.)"""
    import cv2
    import numpy as np

    h, w = arr.shape[:2]
    padded = dft_padded(arr).astype(np.float32)
    notch = cv2.dilate((spectral_peaks(padded) > 3.0).astype(np.uint8), np.ones((7, 7), np.uint8))
    keep = np.fft.ifftshift(notch == 0)
    # A frequency is kept only when its mirror (-u, -v) is: the filter is then real and even,
    # so it keeps a real channel real, and two channels go through one complex transform
    # (one as the real part, one as the imaginary), three channels in two transforms.
    keep &= np.roll(keep[::-1, ::-1], 1, axis=(0, 1))
    gain = keep.astype(np.float32)[..., None]
    out = np.empty_like(arr)
    channels = arr.shape[2]
    for group in (list(range(c, min(c + 2, channels))) for c in range(0, channels, 2)):
        pair = np.zeros((*padded.shape[:2], 2), np.float32)
        pair[..., : len(group)] = padded[..., group]
        spectrum = cv2.dft(pair, flags=cv2.DFT_COMPLEX_OUTPUT) * gain
        back = cv2.idft(spectrum, flags=cv2.DFT_SCALE | cv2.DFT_COMPLEX_OUTPUT)
        out[..., group] = np.clip(back[:h, :w, : len(group)], 0, 255)
    return out
