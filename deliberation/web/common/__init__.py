"""What every page shares: the page context and registry, sign-in state, escaping, strings, messages, links."""
