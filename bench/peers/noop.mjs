// an empty module: the cold-start baseline
