"""iotkg: a knowledge graph of the protocols that give IoT devices their initial security setup."""

__version__ = "0.1.0"
