"""Long class names the layout tests draw: the eight a student tour typed on a phone, which
squeezed every chart and table they reached."""

EIGHT_NAMES = (
    "Golden Retriever",
    "Great White Shark",
    "Hummingbird",
    "Bottlenose dolphin",
    "Monarch butterfly",
    "Siamese kitten",
    "Red-eared slider",
    "Komodo dragon",
)
EIGHT_LONG = "z=3,2.5,2,1.5,1,0.5,0,-0.5&labels=" + ",".join(EIGHT_NAMES)
"""A link's query: eight classes with long names (the tour's Gradients link)."""
