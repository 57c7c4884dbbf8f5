"""Encoding a playback's frames (PNG bytes): an animated GIF with Pillow, an MP4 (H.264) or a
WebM (VP9) through ffmpeg — the binary the ``imageio-ffmpeg`` wheel ships, so nothing is
downloaded at run time (``$DATELINE_FFMPEG`` points at another)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from geodata.errors import ExportError

__all__ = ["VideoWriter", "find_ffmpeg", "write_gif"]


def find_ffmpeg() -> str | None:
    """The ffmpeg to encode MP4/WebM with: ``$DATELINE_FFMPEG``, else the binary of the
    ``imageio-ffmpeg`` wheel (a pinned requirement), else ``ffmpeg`` on the ``PATH``."""
    env = os.environ.get("DATELINE_FFMPEG")
    if env:
        return env if Path(env).is_file() else None
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return shutil.which("ffmpeg")


def _ffmpeg_args(fmt: str, fps: float, target: Path) -> list[str]:
    # PNG frames in, one picture per frame; the size is rounded to even for 4:2:0 chroma
    args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    args += ["-f", "image2pipe", "-framerate", f"{fps:g}", "-c:v", "png", "-i", "-"]
    args += ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p", "-an"]
    if fmt == "mp4":
        # stillimage: flat map colours; faststart: playable while it downloads
        args += ["-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "23"]
        args += ["-movflags", "+faststart", "-f", "mp4"]
    else:
        args += ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1"]
        args += ["-b:v", "0", "-crf", "34", "-f", "webm"]
    return [*args, str(target)]


class VideoWriter:
    """Frames piped into an ffmpeg process as they are drawn."""

    def __init__(self, fmt: str, fps: float, target: Path) -> None:
        exe = find_ffmpeg()
        if exe is None:
            raise ExportError(
                f"no ffmpeg to encode {fmt.upper()}: pip install -r requirements.txt (it "
                "brings imageio-ffmpeg), or set DATELINE_FFMPEG; GIF needs no ffmpeg"
            )
        self._log = tempfile.TemporaryFile()  # a file, not a pipe: ffmpeg never blocks on it
        try:
            self._proc = subprocess.Popen(
                [exe, *_ffmpeg_args(fmt, fps, target)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
            )
        except OSError as exc:
            self._log.close()
            raise ExportError(f"cannot start ffmpeg ({exe}): {exc.strerror or exc}") from None

    def add(self, png: bytes) -> None:
        try:
            self._proc.stdin.write(png)  # type: ignore[union-attr]
        except OSError:
            self.close()  # ffmpeg died: its own message is the one to report
            raise ExportError("ffmpeg stopped while encoding") from None

    def close(self) -> None:
        try:
            self._proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass
        code = self._proc.wait()
        self._log.seek(0)
        message = self._log.read().decode("utf-8", "replace").strip().splitlines()
        self._log.close()
        if code != 0:
            raise ExportError(f"ffmpeg could not encode the video: {(message or ['?'])[-1]}")

    def abort(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._log.close()


def write_gif(pngs: Sequence[bytes], fps: float, target: Path) -> None:
    """One GIF: a palette shared by all frames (taken from the first, middle and last ones),
    no dithering (flat map colours), and in each frame after the first the pixels that did
    not change are transparent, so the LZW coder sees long runs of one index."""
    import numpy as np
    from PIL import Image

    def rgb(data: bytes) -> Image.Image:
        with Image.open(io.BytesIO(data)) as im:
            return im.convert("RGB")

    picks = sorted({0, len(pngs) // 2, len(pngs) - 1})
    samples = [rgb(pngs[i]) for i in picks]
    w, h = samples[0].size
    strip = Image.new("RGB", (w, h * len(samples)))
    for k, im in enumerate(samples):
        strip.paste(im, (0, h * k))
    # 255 colours: index 255 stays free for "unchanged" (transparent)
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    clear = 255
    out: list[Image.Image] = []
    previous: np.ndarray | None = None
    for data in pngs:
        indexed = rgb(data).quantize(palette=palette, dither=Image.Dither.NONE)
        pixels = np.asarray(indexed)
        if previous is None:
            frame = pixels
        else:
            frame = np.where(pixels == previous, clear, pixels).astype(np.uint8)
        previous = pixels
        im = Image.fromarray(frame, mode="P")
        im.putpalette(palette.getpalette()[: 255 * 3] + [0, 0, 0])
        out.append(im)
    duration = max(20, round(1000 / fps))  # GIF delays are in 1/100 s; browsers floor at 20 ms
    out[0].save(
        target,
        format="GIF",
        save_all=True,
        append_images=out[1:],
        duration=duration,
        loop=0,
        disposal=1,  # keep the previous frame: the transparent pixels show it through
        transparency=clear,
        optimize=False,  # the palette is already shared and minimal; keep index 255 as is
    )
