"""The SOAP face: spyne types, services, WS-Security, WSDL."""
