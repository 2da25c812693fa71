"""BackRelief: back and neck relief through massage, as part of mind-body wellness."""
