"""nnquiz: a command-line coach for neural-network and machine-learning interviews."""

__version__ = "0.1.0"
