"""Names shared by the bank and the kata catalogue (kept import-free for fast start-up)."""

# Topics drawn from the seed documents: their questions name the coverage ids they teach.
SEED_TOPICS = (
    "fundamentals", "training", "optimization", "regularization", "cnn", "rnn", "attention",
    "autoencoder", "gan", "evaluation", "classic-ml", "applications", "frameworks",
)
TOPICS = SEED_TOPICS + (
    "transformer", "llm", "normalization", "diffusion", "efficient-ml",
    "probability-statistics", "linear-models", "trees-ensembles", "clustering-dimred",
    "ml-system-design", "math", "reinforcement-learning",
)
LANGS = ("en", "zh")
