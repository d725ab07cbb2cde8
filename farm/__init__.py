"""The bundled demo farm: fictitious 江城市 government websites served on loopback, with truth."""
