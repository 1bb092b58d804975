"""The bundled demo news network: outlets built from a data file, served on 127.0.0.1."""
