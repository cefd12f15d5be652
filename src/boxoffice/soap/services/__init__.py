"""One module per real SOAP service, each a thin table of operations over service/."""
