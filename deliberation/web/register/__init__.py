"""议题台账 (/register): every issue of the compound, registering one, export and import."""
