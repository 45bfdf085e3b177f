package io.xex.app;

import io.xex.gateway.GatewayComponent;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.GatewayConfig.DemoFunding;
import io.xex.gateway.Listings;
import io.xex.gateway.demo.DemoAccounts;
import io.xex.matching.Command;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.XexMain;
import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.session.MarketSessionComponent;
import io.xex.settlement.SettlementComponent;
import io.xex.settlement.SettlementConfig;
import io.xex.settlement.issuer.IssuerComponent;

import java.util.List;

/**
 * {@code xex run}: the durable engine with the trader gateways (WebSocket, REST, binary) and settlement. Everything
 * about starting, stopping and signals is {@link XexMain}'s; this class only says which components make the venue.
 */
public final class XexApp {
    private XexApp() {
    }

    public static void main(String[] args) throws Exception {
        XexMain.run(args, XexApp::components);
    }

    /**
     * The venue's components, in start order: the gateway first, because it creates the demo accounts, and settlement
     * after it, because its deposit watcher credits the demo accounts' deposits that the local chain made into its
     * vault ({@code gateway.demo.funding = chain}) and a deposit to an account the engine does not know yet waits
     * (HELD) until it does. The gateway's {@code wallet.withdraw} asks settlement's withdrawal gate. The issuer's primary
     * market follows settlement, on whose chain it mints and burns; the gateway hands it mint and redeem requests. The market session
     * comes last: it sets each instrument OPEN or CLOSED_UNDERLYING by the market calendar and publishes the reference
     * feed's prices, which nothing before it depends on.
     */
    public static List<VenueComponent> components(ConfigSource config) {
        GatewayConfig gateway = GatewayConfig.from(config);
        SettlementConfig settlement = SettlementConfig.from(config, InstrumentCatalog.from(config).engine());
        boolean localChain = settlement.enabled() && settlement.localChain();
        if (gateway.demoAccounts() > 0 && (gateway.demoFunding() == DemoFunding.CHAIN) != localChain) {
            throw new ConfigException(localChain
                ? "gateway.demo.funding = engine (from " + config.origin("gateway.demo.funding") + ") with settlement.localChain"
                    + " would credit the demo accounts where the vault has nothing: set gateway.demo.funding = chain"
                : "gateway.demo.funding = chain (from " + config.origin("gateway.demo.funding") + ") needs"
                    + " settlement.enabled and settlement.localChain to fund the demo accounts: set gateway.demo.funding = engine");
        }
        List<Command.Deposit> demoDeposits = gateway.demoFunding() == DemoFunding.CHAIN
            ? DemoAccounts.deposits(gateway, new Listings(InstrumentCatalog.from(config))) : List.of();
        SettlementComponent settlementComponent = SettlementComponent.from(config, demoDeposits);
        IssuerComponent issuer = IssuerComponent.from(config, settlementComponent);
        MarketSessionComponent session = MarketSessionComponent.from(config);
        return List.of(GatewayComponent.from(config, settlementComponent.withdrawalGate()).primaryMarket(issuer),
            settlementComponent, issuer, session);
    }
}
