// The baseline of bench/bench_sale.py: the smallest JAX-WS RI (Debian's jaxws / libjaxws-java)
// SOAP service, published on the JDK's own HTTP server. Every figure of the sale benchmark is
// printed as a ratio against what this answers on the same machine, with the same load tool.
// Usage: java -Dsun.net.httpserver.nodelay=true -cp CLASSES:/usr/share/java/jaxws-rt.jar
//        EchoService PORT
// (without nodelay the JDK server waits for Nagle's delayed ACK on every answer.)

import java.util.concurrent.Executors;
import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebService;
import javax.xml.ws.Endpoint;

@WebService(serviceName = "EchoService", targetNamespace = "http://bench.boxoffice/")
public class EchoService {
    @WebMethod
    public String echo(@WebParam(name = "text") String text) {
        return text;
    }

    public static void main(String[] arguments) {
        String address = "http://127.0.0.1:" + arguments[0] + "/echo";
        Endpoint endpoint = Endpoint.create(new EchoService());
        // As many threads as the Python server has workers x threads would not be fairer: the
        // JDK server is asynchronous; a small pool is what it is normally given.
        endpoint.setExecutor(Executors.newFixedThreadPool(16));
        endpoint.publish(address);
        System.out.println("listening " + address);
    }
}
