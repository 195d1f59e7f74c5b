"""Names shared by the bank and the kata catalogue (kept import-free for fast start-up)."""

TOPICS = (
    "fundamentals", "training", "optimization", "regularization", "cnn", "rnn", "attention",
    "autoencoder", "gan", "evaluation", "classic-ml", "applications", "frameworks",
)
LANGS = ("en", "zh")
