"""Understanding side: the plain-Python clinical fact extractor and its helpers."""
