"""Biometrics: face and fingerprint templates, 1:1 verification and 1:N galleries."""
