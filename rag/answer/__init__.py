"""Answer: prompts, the GGUF generator, context packing, citations and refusal."""
