"""Certificates for the link farm's HTTPS servers, made at start-up with `cryptography`.

A local CA signs an expired certificate and a valid one (served over TLS 1.0 only);
a third certificate signs itself. Trusting the CA lets a checker tell "expired" from
"self-signed" exactly as it would on the internet.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import warnings
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )


def _cert(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: str,
    issuer_key: ec.EllipticCurvePrivateKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool = False,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_certificates(folder: Path) -> dict[str, Path]:
    """ca.pem (to trust), expired.pem, selfsigned.pem, oldtls.pem (cert + key) in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("govspider link farm CA", ca_key, "govspider link farm CA", ca_key,
               now - dt.timedelta(days=800), now + dt.timedelta(days=800), ca=True)  # fmt: skip
    paths = {"ca": folder / "ca.pem"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    day = dt.timedelta(days=1)
    specs = {  # name: (subject, signed by the CA, not before, not after)
        "expired": ("expired.farm", True, now - 400 * day, now - 30 * day),
        "selfsigned": ("selfsigned.farm", False, now - day, now + 365 * day),
        "oldtls": ("oldtls.farm", True, now - day, now + 365 * day),
    }
    for name, (subject, by_ca, start, end) in specs.items():
        key = ec.generate_private_key(ec.SECP256R1())
        if by_ca:
            cert = _cert(subject, key, "govspider link farm CA", ca_key, start, end)
        else:
            cert = _cert(subject, key, subject, key, start, end)
        paths[name] = folder / f"{name}.pem"
        paths[name].write_bytes(_pem(cert, key))
    return paths


def server_context(pem: Path, old_tls: bool = False) -> ssl.SSLContext:
    """A server context; old_tls: TLS 1.0 only, with a cipher browsers have dropped."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pem)
    if old_tls:
        ctx.set_ciphers("ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0")
        with warnings.catch_warnings():  # an old server on purpose
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1
    return ctx
