"""The Word appendix as a PDF, converted by LibreOffice (``soffice --headless``) when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from raci.errors import OutputError, Problem

SOFFICE = "soffice"
TIMEOUT = 180  # seconds: a first start of LibreOffice with a fresh profile takes a while
MISSING = "--pdf needs LibreOffice (soffice); install it, e.g. apt-get install libreoffice-writer"


def soffice() -> str:
    """The path of LibreOffice's soffice, or an OutputError saying how to install it."""
    found = shutil.which(SOFFICE)
    if found is None:
        raise OutputError(Problem("", MISSING))
    return found


def docx_to_pdf(docx: bytes, *, name: str = "appendix") -> bytes:
    """The PDF LibreOffice makes of ``docx``, with a private profile in a temporary folder (never the user's own,
    which a running LibreOffice would hold locked)."""
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="raci-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / f"{name}.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                   "--outdir", str(folder / "out"), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise OutputError(Problem("", f"LibreOffice did not convert the appendix to PDF within {TIMEOUT} s")) from None
        except OSError as exc:
            raise OutputError(Problem("", f"cannot run LibreOffice: {exc.strerror or exc}")) from None
        result = folder / "out" / f"{name}.pdf"
        if not result.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            why = f": {said[-1]}" if said else f" (exit code {done.returncode})"
            raise OutputError(Problem("", f"LibreOffice could not convert the appendix to PDF{why}"))
        return result.read_bytes()
