"""小区协商议事: "1+8" consultative meetings and the four-stage issue lifecycle."""
