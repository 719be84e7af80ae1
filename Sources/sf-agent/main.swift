print("sf-agent")
