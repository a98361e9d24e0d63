"""概览 (/dashboard): how the compound's concerns move through the stages."""
