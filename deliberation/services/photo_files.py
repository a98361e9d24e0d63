"""A photo's bytes checked and made safe to keep and show: no database, no actor.

Residents' photos come from phones: the file's name and declared type say nothing, so the bytes
decide (JPEG, PNG, WebP; HEIC and AVIF where this Pillow reads them). The size is checked before
anything is decoded, the pixel count from the header before the pixels are (a decompression bomb
is a small file that declares a huge image). The picture is turned upright from its EXIF
orientation, then re-encoded from bare pixels into a fresh JPEG: nothing of the original file —
EXIF (with the GPS position of the resident's home), XMP, comments, maker notes — survives.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from ..model.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024          # what the issue allows per photo
MAX_PIXELS = 50_000_000               # a 50-megapixel camera is the largest a phone sends
# PNG and WebP decode every pixel (a JPEG is decoded at 1/2…1/8 scale, JPEG draft mode): a 150 KB
# PNG of 50 megapixels costs two seconds and half a GB. Phones' PNGs are screenshots, far smaller.
MAX_PIXELS_FULL_DECODE = 24_000_000
LONG_SIDE = 1600                      # stored image: long side at most
THUMB_SIDE = 320                      # thumbnail for lists, the board and documents
QUALITY, THUMB_QUALITY = 82, 75

# Formats by their first bytes. HEIC/HEIF/AVIF share the ISO box layout: "ftyp" at offset 4.
# Pillow reads AVIF itself; HEIC (an iPhone's default) needs the pillow-heif plugin ("HEIF").
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: a clean JPEG, its thumbnail, the JPEG's size and SHA-256."""
    image: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str


def sniff(data: bytes) -> str | None:
    """The format the bytes are ("JPEG", "PNG", "WEBP", "HEIF", "AVIF"), or None: never the name."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _AVIF_BRANDS:
        return "AVIF"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    return None


def _pillow_reads(fmt: str) -> bool:
    Image.init()
    return fmt in Image.OPEN


def _open(data: bytes) -> Image.Image:
    fmt = sniff(data)
    if fmt is None:
        raise DomainError("这不是照片文件:请上传 JPEG、PNG 或 WebP 格式的照片")
    if fmt in ("HEIF", "AVIF") and not _pillow_reads(fmt):
        raise DomainError(f"暂不支持 {'HEIC' if fmt == 'HEIF' else 'AVIF'} 格式的照片:请在手机「设置 › 相机 › 格式」"
                          "中选择「兼容性最佳」(JPEG)后重新拍摄,或截图后上传")
    formats = [fmt]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we decide below, by MAX_PIXELS
            image = Image.open(io.BytesIO(data), formats=formats)
    except Image.DecompressionBombError:
        raise DomainError(_too_many_pixels()) from None
    except Exception:
        raise DomainError("无法读取这张照片,文件可能已损坏:请重新拍摄或换一张") from None
    width, height = image.size
    limit = MAX_PIXELS if fmt == "JPEG" else MAX_PIXELS_FULL_DECODE
    if width < 1 or height < 1 or width * height > limit:
        raise DomainError(_too_many_pixels(limit))
    return image


def _too_many_pixels(limit: int = MAX_PIXELS) -> str:
    return f"照片像素过大(超过 {limit // 1_000_000} 百万像素):请缩小后再上传"


def _upright_rgb(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """The first frame, decoded, turned upright by its EXIF orientation, in RGB over white; and
    its ICC profile, if it had one."""
    image.seek(0)                                    # animated WebP/PNG: first frame only
    if image.format in ("JPEG", "MPO"):
        # Decode a JPEG at the smallest DCT scale still ≥ the stored size: less memory and time.
        image.draft("RGB", (LONG_SIDE, LONG_SIDE))
    image.load()
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")   # 16-bit greyscale PNG
    return image.convert("RGB"), icc


def _in_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """A phone's wide-gamut (Display P3) photo keeps its colours once its profile is dropped."""
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:                                # a broken or CMYK profile: keep the pixels as they are
        return image


def _bare(image: Image.Image) -> Image.Image:
    """The same pixels in a new image: no `info` (comments, ICC, XMP) left to be written."""
    return Image.frombytes("RGB", image.size, image.tobytes())


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def prepare_photo(data: bytes) -> PreparedPhoto:
    """Check the bytes and make the photo safe to keep, or raise DomainError (Chinese)."""
    if not data:
        raise DomainError("照片文件是空的:请重新选择")
    if len(data) > MAX_BYTES:
        raise DomainError(f"照片太大({len(data) / 1024 / 1024:.1f} MB):每张不能超过 "
                          f"{MAX_BYTES // 1024 // 1024} MB")
    image = _open(data)
    try:
        upright, icc = _upright_rgb(image)
    except Image.DecompressionBombError:
        raise DomainError(_too_many_pixels()) from None
    except Exception:
        raise DomainError("无法读取这张照片,文件可能已损坏:请重新拍摄或换一张") from None
    upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    stored = _bare(_in_srgb(upright, icc))
    small = stored.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    image_bytes = _jpeg(stored, QUALITY)
    return PreparedPhoto(image=image_bytes, thumb=_jpeg(small, THUMB_QUALITY),
                         width=stored.width, height=stored.height,
                         sha256=hashlib.sha256(image_bytes).hexdigest())


def prepare_photos(files: list[bytes], *, limit: int | None = None) -> list[PreparedPhoto]:
    """Every file prepared, or DomainError naming which one (第 2 张…) and why; none kept then."""
    if limit is not None and len(files) > limit:
        raise DomainError(f"最多可上传 {limit} 张照片(您选了 {len(files)} 张)")
    prepared = []
    for number, data in enumerate(files, start=1):
        try:
            prepared.append(prepare_photo(data))
        except DomainError as exc:
            raise DomainError(f"第 {number} 张照片:{exc.message}" if len(files) > 1 else exc.message) from None
    return prepared
