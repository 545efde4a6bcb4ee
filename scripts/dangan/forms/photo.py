"""Photos that enter the repository (lrmx/lrm import): decoded, limited, and written afresh.

A photo in an exchange file is whatever bytes the sender put there. Before it becomes ``photos/<编号>.jpg`` it is
decoded in full (a file that only starts like a JPEG, a truncated one or a decompression bomb is refused), held to the
limits below, and re-encoded: the stored file is pixels only — no EXIF (camera, GPS, dates), no comments, nothing
appended after the image (a JPEG that is also a ZIP or an HTML page is no longer either). JPEG keeps its own
quantisation tables (``quality="keep"``), so a re-encoded ID photo looks the same. Limits: docs/manual/forms.md.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from ..errors import Refusal

MAX_BYTES = 5 * 1024 * 1024  # a scanned 2-inch photo is well under 1 MB
MAX_SIDE = 4000  # pixels, either side
MIN_SIDE = 16
FORMATS = {"JPEG": "jpg", "PNG": "png"}


@dataclass(frozen=True)
class Photo:
    data: bytes  # the re-encoded image
    ext: str  # jpg | png
    width: int
    height: int


class PhotoError(Refusal):
    """Why a photo is not kept (Chinese): the import notes it and goes on without the photo."""


def accept(raw: bytes) -> Photo:
    """The photo to store, or PhotoError saying why it is not kept."""
    from PIL import Image, UnidentifiedImageError

    if len(raw) > MAX_BYTES:
        raise PhotoError(f"照片有 {len(raw) / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限，未保存")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(raw), formats=list(FORMATS))
            width, height = img.size
            if max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE:
                raise PhotoError(f"照片为 {width}×{height} 像素，超出 {MIN_SIDE}–{MAX_SIDE} 像素的范围，未保存")
            img.load()  # decode every pixel: a truncated or forged image fails here
            ext = FORMATS[img.format or ""]
            out = io.BytesIO()
            if ext == "jpg":
                try:
                    img.save(out, "JPEG", quality="keep", subsampling="keep", comment=b"")
                except (ValueError, OSError):  # e.g. progressive tables it cannot keep: a visually lossless copy
                    out = io.BytesIO()
                    img.save(out, "JPEG", quality=95, comment=b"")
            else:
                img.save(out, "PNG", optimize=False)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"照片的像素数过多，超出 {MIN_SIDE}–{MAX_SIDE} 像素的范围，未保存") from None
    except UnidentifiedImageError:
        raise PhotoError("照片不是可以解码的 JPEG 或 PNG 图像，未保存") from None
    except (OSError, ValueError, SyntaxError, KeyError, EOFError, MemoryError):
        raise PhotoError("照片数据不完整或已损坏，无法解码，未保存") from None
    return Photo(out.getvalue(), ext, width, height)
