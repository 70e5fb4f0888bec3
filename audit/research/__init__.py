"""Research tools beside the audit: content coding of posts with a hand-coded sample."""
