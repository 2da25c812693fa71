"""JSON adapters for accounts, one router per concept; mounted in `backrelief.api`."""
