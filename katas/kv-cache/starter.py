def generate_cached(model, prompt_ids, max_new):
    raise NotImplementedError("write generate_cached")
